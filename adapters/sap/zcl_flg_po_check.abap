"! Purchase-order check against the forced_labour_guard decision service.
"! Implementation class of BAdI ME_PROCESS_PO_CUST (method CHECK): sends the order being saved to
"! POST /v1/sap/purchase-orders/check through the SM59 destination FLG_DECISION_SERVICE and puts
"! the answer's BAPIRET2-style messages on the order. An E message stops the save (ch_failed).
"! If the service cannot answer (timeout, no connection, bad answer) the order is stopped too,
"! unless gc_fail_closed is switched off on purpose (see adapters/sap/README.md).
CLASS zcl_flg_po_check DEFINITION
  PUBLIC
  FINAL
  CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES if_ex_me_process_po_cust.

    CONSTANTS gc_destination TYPE rfcdest VALUE 'FLG_DECISION_SERVICE'.
    CONSTANTS gc_path TYPE string VALUE '/v1/sap/purchase-orders/check'.
    CONSTANTS gc_timeout_seconds TYPE i VALUE 10.
    "! abap_true: no answer from the service stops the save (E). abap_false: a warning (W) only.
    CONSTANTS gc_fail_closed TYPE abap_bool VALUE abap_true.
    CONSTANTS gc_msgid TYPE symsgid VALUE 'ZFLG'.
    "! TVARVC parameter holding the service's bearer token (see adapters/sap/README.md).
    CONSTANTS gc_token_parameter TYPE rvari_vnam VALUE 'ZFLG_SERVICE_TOKEN'.

  PRIVATE SECTION.
    TYPES:
      BEGIN OF ty_item,
        item          TYPE string,
        material      TYPE string,
        text          TYPE string,
        quantity      TYPE string,
        net_price     TYPE string,
        price_unit    TYPE string,
        currency      TYPE string,
        plant         TYPE string,
        deletion_code TYPE string,
      END OF ty_item,
      ty_items TYPE STANDARD TABLE OF ty_item WITH EMPTY KEY,
      BEGIN OF ty_request,
        purchase_order TYPE string,
        supplier       TYPE string,
        items          TYPE ty_items,
      END OF ty_request,
      BEGIN OF ty_message,
        type       TYPE string,
        id         TYPE string,
        number     TYPE string,
        message    TYPE string,
        message_v1 TYPE string,
        message_v2 TYPE string,
        message_v3 TYPE string,
        message_v4 TYPE string,
      END OF ty_message,
      ty_messages TYPE STANDARD TABLE OF ty_message WITH EMPTY KEY,
      BEGIN OF ty_answer,
        action   TYPE string,
        messages TYPE ty_messages,
      END OF ty_answer.

    METHODS build_request
      IMPORTING io_header         TYPE REF TO if_purchase_order_mm
      RETURNING VALUE(rs_request) TYPE ty_request.

    METHODS call_service
      IMPORTING is_request       TYPE ty_request
      EXPORTING es_answer        TYPE ty_answer
                ev_failure       TYPE string.
ENDCLASS.


CLASS zcl_flg_po_check IMPLEMENTATION.

  METHOD if_ex_me_process_po_cust~check.
    INCLUDE mm_messages_mac.

    DATA ls_answer  TYPE ty_answer.
    DATA lv_failure TYPE string.
    DATA lv_type    TYPE symsgty.
    DATA lv_number  TYPE symsgno.
    DATA lv_v1      TYPE symsgv.
    DATA lv_v2      TYPE symsgv.
    DATA lv_v3      TYPE symsgv.
    DATA lv_v4      TYPE symsgv.

    DATA(ls_header) = im_header->get_data( ).
    call_service( EXPORTING is_request = build_request( im_header )
                  IMPORTING es_answer  = ls_answer
                            ev_failure = lv_failure ).

    mmpur_business_obj_id ls_header-id.
    IF lv_failure IS NOT INITIAL.
      " no usable answer: fail closed, as SCREENING_UNAVAILABLE (090, text '&1&2&3&4')
      lv_type = COND #( WHEN gc_fail_closed = abap_true THEN 'E' ELSE 'W' ).
      lv_v1 = 'Forced-labour check unavailable; not cleared:'.
      lv_v2 = | { lv_failure }|.   " CHAR50: longer texts are cut, never a runtime error
      mmpur_message_forced lv_type gc_msgid '090' lv_v1 lv_v2 '' ''.
      IF gc_fail_closed = abap_true.
        ch_failed = abap_true.
      ENDIF.
      RETURN.
    ENDIF.

    LOOP AT ls_answer-messages INTO DATA(ls_message).
      lv_type = ls_message-type.
      IF lv_type NA 'EWI'.
        lv_type = 'E'.   " an unknown type must not let the order through
      ENDIF.
      lv_number = ls_message-number.
      lv_v1 = ls_message-message_v1.
      lv_v2 = ls_message-message_v2.
      lv_v3 = ls_message-message_v3.
      lv_v4 = ls_message-message_v4.
      mmpur_message_forced lv_type gc_msgid lv_number lv_v1 lv_v2 lv_v3 lv_v4.
      IF lv_type = 'E'.
        ch_failed = abap_true.
      ENDIF.
    ENDLOOP.

    IF ls_answer-action = 'block'.
      ch_failed = abap_true.   " a block without an E message still stops the save
    ENDIF.
  ENDMETHOD.


  METHOD build_request.
    DATA(ls_header) = io_header->get_data( ).
    rs_request-purchase_order = ls_header-ebeln.
    rs_request-supplier       = ls_header-lifnr.

    LOOP AT io_header->get_items( ) INTO DATA(ls_item_ref).
      DATA(ls_item) = ls_item_ref-item->get_data( ).
      APPEND VALUE ty_item(
        item          = ls_item-ebelp
        material      = ls_item-matnr
        text          = ls_item-txz01
        quantity      = |{ ls_item-menge NUMBER = RAW }|
        net_price     = |{ ls_item-netpr NUMBER = RAW }|
        price_unit    = |{ ls_item-peinh }|
        currency      = ls_header-waers
        plant         = ls_item-werks
        deletion_code = ls_item-loekz ) TO rs_request-items.
    ENDLOOP.
  ENDMETHOD.


  METHOD call_service.
    DATA lo_client TYPE REF TO if_http_client.
    DATA lv_code   TYPE i.
    DATA lv_reason TYPE string.

    CLEAR: es_answer, ev_failure.
    cl_http_client=>create_by_destination(
      EXPORTING  destination              = gc_destination
      IMPORTING  client                   = lo_client
      EXCEPTIONS argument_not_found       = 1
                 destination_not_found    = 2
                 destination_no_authority = 3
                 plugin_not_active        = 4
                 internal_error           = 5
                 OTHERS                   = 6 ).
    IF sy-subrc <> 0.
      ev_failure = |destination { gc_destination } unusable ({ sy-subrc })|.
      RETURN.
    ENDIF.

    lo_client->request->set_method( if_http_request=>co_request_method_post ).
    cl_http_utility=>set_request_uri( request = lo_client->request uri = gc_path ).
    lo_client->request->set_header_field( name = 'Content-Type' value = 'application/json' ).
    lo_client->request->set_header_field( name = 'Accept' value = 'application/json' ).
    SELECT SINGLE low FROM tvarvc
      WHERE name = @gc_token_parameter AND type = 'P' AND numb = '0000'
      INTO @DATA(lv_token).
    IF sy-subrc <> 0 OR lv_token IS INITIAL.
      ev_failure = |no service token in TVARVC { gc_token_parameter }|.
      RETURN.
    ENDIF.
    lo_client->request->set_header_field( name = 'Authorization' value = |Bearer { lv_token }| ).
    lo_client->request->set_cdata(
      /ui2/cl_json=>serialize( data = is_request pretty_name = /ui2/cl_json=>pretty_mode-low_case ) ).

    lo_client->send( EXPORTING  timeout                    = gc_timeout_seconds
                     EXCEPTIONS http_communication_failure = 1
                                http_invalid_state         = 2
                                http_processing_failed     = 3
                                http_invalid_timeout       = 4
                                OTHERS                     = 5 ).
    IF sy-subrc = 0.
      lo_client->receive( EXCEPTIONS http_communication_failure = 1
                                      http_invalid_state         = 2
                                      http_processing_failed     = 3
                                      OTHERS                     = 4 ).
    ENDIF.
    IF sy-subrc <> 0.
      lo_client->get_last_error( IMPORTING message = lv_reason ).
      ev_failure = COND #( WHEN lv_reason IS INITIAL THEN |no answer ({ sy-subrc })| ELSE lv_reason ).
      lo_client->close( ).
      RETURN.
    ENDIF.

    lo_client->response->get_status( IMPORTING code = lv_code ).
    DATA(lv_body) = lo_client->response->get_cdata( ).
    lo_client->close( ).
    IF lv_code <> 200.
      ev_failure = |HTTP { lv_code }|.
      RETURN.
    ENDIF.

    /ui2/cl_json=>deserialize( EXPORTING json = lv_body CHANGING data = es_answer ).
    IF es_answer-action IS INITIAL.
      ev_failure = 'answer without an action'.
    ENDIF.
  ENDMETHOD.


  " The other methods of the BAdI interface are not used (SE19 generates them empty).
  METHOD if_ex_me_process_po_cust~initialize.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~open.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~process_header.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~process_item.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~process_schedule.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~process_account.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~post.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~close.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~fieldselection_header.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~fieldselection_item.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~fieldselection_header_refkeys.
  ENDMETHOD.
  METHOD if_ex_me_process_po_cust~fieldselection_item_refkeys.
  ENDMETHOD.

ENDCLASS.
